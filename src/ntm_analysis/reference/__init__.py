"""What the law and the map say: criteria sets, administrative units, the fact-metric vocabulary."""
