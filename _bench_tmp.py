import os, time
os.environ["DATABASE_URL"]="postgres://postgres@127.0.0.1:5432/cwt_bench_volunteers"
os.environ["DJANGO_SETTINGS_MODULE"]="config.settings.test"
import django; django.setup()
from datetime import date, timedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from volunteers.selectors import volunteer_figures
today=date.today()
for label, start in (("month", (today.replace(day=1)-timedelta(days=1)).replace(day=1)), ("year", today-timedelta(days=365))):
    end = today if label=="year" else today.replace(day=1)-timedelta(days=1)
    volunteer_figures(start=start,end=end)
    with CaptureQueriesContext(connection) as c:
        t=time.perf_counter(); volunteer_figures(start=start,end=end); total=time.perf_counter()-t
    print(label, f"{total*1000:.0f} ms")
    for q in c.captured_queries: print("  ", q["time"], q["sql"][:150])
