"""Page views: pure functions from repository frames and filters to chart specifications."""
