from services.common.migrate import run_env


def _cube(connection) -> None:
    from services.stats import repository
    repository.rebuild_cube(connection)


def _quality(connection) -> None:
    from services.stats import quality_counts
    quality_counts.rebuild(connection)


# The pre-counted tables a migration may ask to count again (recount_later), by the code of this
# release once the schema is at head.
run_env(recounts={"cube": _cube, "quality": _quality})
