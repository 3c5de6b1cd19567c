"""Pure figure builders: tidy frames in, new ``go.Figure`` out; styling from the theme."""
