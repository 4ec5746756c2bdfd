"""One module per page; Dash Pages imports each and it registers itself."""
