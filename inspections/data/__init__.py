"""Reference data shipped with the app: site types, problem categories and a small illustrative evaluation
system written by us (NOT the official 全国文明城市测评体系 text; offices import their own)."""
