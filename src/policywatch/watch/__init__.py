"""Watching the sites and feeds analysts follow: polite fetching, link discovery, a schedule, watchlists, alerts."""
