"""Calls are configured and applications handled through the audited pages, not the admin."""
