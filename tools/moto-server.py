"""Starts the moto AWS emulator (python3 tools/moto-server.py -H HOST -p PORT), with one fidelity fix.

moto 5.x answers PromoteReadReplica but keeps ReadReplicaSourceDBInstanceIdentifier on the promoted instance and the
instance in its source's ReadReplicaDBInstanceIdentifiers, so a promotion never shows. Real RDS clears both; this
launcher makes moto do the same. Nothing else is changed.
"""
import sys

from moto.rds.models import RDSBackend
from moto.server import main

_promote = RDSBackend.promote_read_replica


def promote_read_replica(self, db_kwargs):
    database = self.databases[db_kwargs["db_instance_identifier"]]
    source = database.source_db_instance_identifier
    promoted = _promote(self, db_kwargs)
    if source:
        try:
            primary = self.find_db_from_id(source)
            primary.replicas = [r for r in primary.replicas if r not in (promoted.db_instance_identifier, promoted.db_instance_arn)]
        except Exception:  # the source is gone: nothing to unlink
            pass
        promoted.source_db_instance_identifier = None
    return promoted


RDSBackend.promote_read_replica = promote_read_replica

if __name__ == "__main__":
    main(sys.argv[1:])
