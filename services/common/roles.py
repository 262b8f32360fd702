"""The catalogue's responsible roles and the org directory roles that hold them.

The node catalogue names who acts on a node ("handler", "division_head", …); the org directory
gives each person one `Role`. The node service finds a node's responsible person with this
mapping and the alert service a reminder's readers, so both take it from here.
"""
from __future__ import annotations

from courtflow.common.v1.caller_pb2 import Role

# The judge the case is assigned to: a case's person, not a role in the directory.
HANDLER = "handler"
# The rest of the case's team the catalogue may make responsible for a node: the judge assistant
# (庭前准备: evidence exchange, pre-trial mediation) and the clerk (书记员: service of documents,
# hearing notices, the record, the file). Like the handler, the case names them, not the directory;
# a case without one leaves the node with the handler.
CASE_ROLES = frozenset({"assistant", "clerk"})
# Roles held in the case's department, and roles held court-wide.
DEPARTMENT_ROLES = {"division_head": Role.ROLE_DIVISION_HEAD}
COURT_ROLES = {"vice_president": Role.ROLE_VICE_PRESIDENT, "president": Role.ROLE_PRESIDENT,
               "trial_management": Role.ROLE_TRIAL_MANAGEMENT}
# What a catalogue entry may name as its responsible role, and as its supervisors (who are
# reminded besides the handler: a misspelt one would silently be reminded never).
CATALOG_ROLES = frozenset({HANDLER, *CASE_ROLES, *DEPARTMENT_ROLES, *COURT_ROLES})
SUPERVISOR_ROLES = frozenset({*DEPARTMENT_ROLES, *COURT_ROLES})
# Who may be a case's handler (承办人): judges, and division heads and court leaders, who hear
# cases themselves (院庭长办案). Assistants, clerks, the trial management office, auditors,
# administrators and court systems do not.
CASE_HANDLER_ROLES = frozenset({Role.ROLE_JUDGE, Role.ROLE_DIVISION_HEAD, Role.ROLE_VICE_PRESIDENT,
                                Role.ROLE_PRESIDENT})
# Of those, the ones who may take a case of any department of their court.
COURT_WIDE_HANDLER_ROLES = frozenset({Role.ROLE_VICE_PRESIDENT, Role.ROLE_PRESIDENT})
