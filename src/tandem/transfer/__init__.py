"""Data in and out: CSV imports from a CRM (imports/) and the whole workspace as one archive
(archive/). It reads and writes the feature apps; none of them imports it."""
