"""Actors: find and resolve the states, organisations, groups and persons an article mentions."""
