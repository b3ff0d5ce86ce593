"""Events: PLOVER events with CAMEO codes, their source and target actors, dates and places (see ``coder``)."""
