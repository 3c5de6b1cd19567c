"""gunicorn reads this file from the working directory: `gunicorn app:server` uses it."""


def post_worker_init(worker):
    """Once a worker has loaded the app, compute the default views in the background."""
    from dashboard.application import warm_up_in_background

    worker.warm_up = warm_up_in_background(worker.wsgi)


def worker_exit(server, worker):
    """A worker on its way out stops warming up after the view it is computing."""
    warm_up = getattr(worker, "warm_up", None)
    if warm_up is not None:
        warm_up.stop()
