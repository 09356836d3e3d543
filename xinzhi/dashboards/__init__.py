"""Targets and statistics (目标考核与统计): indicators, targets, rankings, the cockpit."""
