"""gunicorn settings read from the working directory: each worker warms its own data cache."""


def post_worker_init(worker) -> None:
    from dashboard import data

    data.keep_warm()
