"""Only `tending insights FILE` runs this: the web path never imports it."""
