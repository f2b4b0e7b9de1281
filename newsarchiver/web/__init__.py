"""``newsarchiver serve``: search and read the archive in a browser, replay pages via pywb."""
