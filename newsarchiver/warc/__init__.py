"""The WARC side: records written, the capture index (CDXJ), replay, import, WACZ export."""
