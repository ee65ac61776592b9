# Pages of sites, evaluation system and patrols live in sites/urls.py; ticket pages and the map wall in
# tickets/urls.py (the app's two halves, one app label and one URL namespace).
from inspections.sites.urls import urlpatterns as site_patterns
from inspections.tickets.urls import urlpatterns as ticket_patterns

app_name = "inspections"
urlpatterns = site_patterns + ticket_patterns
