"""The org directory (courts, departments, users) the gateway owns: its records and events,
administration (OrgService), and the import of a court's directory file (`import-org`)."""
