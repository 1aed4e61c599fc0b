"""The crawler's spiders (one: ``feeds``)."""
