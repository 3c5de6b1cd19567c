"""gunicorn reads this file from the working directory: `gunicorn app:server` uses it."""


def post_worker_init(worker):
    """Once a worker has loaded the app, compute the default views in the background."""
    from dashboard.application import warm_up_in_background

    warm_up_in_background(worker.wsgi)
