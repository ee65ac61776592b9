# Pages of sites, evaluation system and patrols live in urls_sites.py; ticket pages and the map wall in
# urls_tickets.py (separate files so the two halves can grow independently).
from .urls_sites import urlpatterns as site_patterns
from .urls_tickets import urlpatterns as ticket_patterns

app_name = "inspections"
urlpatterns = site_patterns + ticket_patterns
