"""gunicorn reads this file from the working directory: `gunicorn app:server` uses it."""

import gc

# A shared link may carry a long tracking parameter; the app reads addresses of up to 8 KB
# (dashboard/callback_requests.py), and gunicorn's default (4,094 bytes) answered longer ones
# with its own error page. 8,190 is the most gunicorn allows.
limit_request_line = 8190


def post_worker_init(worker):
    """Once a worker has loaded the app: keep what it loaded out of the garbage collector's
    full passes, and compute the default views in the background."""
    from dashboard.application import warm_up_in_background

    # The loaded app is about 230,000 objects that live as long as the worker (modules, Dash,
    # Plotly's validators). Python's full collection walked them all, 210-260 ms with the
    # interpreter held, about once every 15 cold views. Frozen, they are skipped: full passes
    # took 17-35 ms. What requests make is collected as before. See benchmarks/README.md.
    gc.freeze()
    worker.warm_up = warm_up_in_background(worker.wsgi)


def worker_exit(server, worker):
    """A worker on its way out stops warming up after the view it is computing."""
    warm_up = getattr(worker, "warm_up", None)
    if warm_up is not None:
        warm_up.stop()
