"""A campaign's figures: charts drawn on the server, each with its table and its CSV."""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from recours.console.access import CAN_SEE_FIGURES, campaign_for, verified_member_required
from recours.console.charts import chart
from recours.console.figures import campaign_figures

# Time runs along the x axis; categories get horizontal bars, with room for their names.
CHART_KINDS = {"hourly": "bars", "daily": "bars", "cumulative": "line"}


@verified_member_required
def dashboard(request, slug):
    campaign = campaign_for(request.user, slug, CAN_SEE_FIGURES)
    figures = campaign_figures(campaign)
    charts = [
        {"series": series, "svg": chart(series, kind=CHART_KINDS.get(key, "hbars"))}
        for key, series in figures.series().items()
    ]
    context = {"campaign": campaign, "figures": figures, "charts": charts, "now": timezone.now()}
    return render(request, "console/dashboard.html", context)


@verified_member_required
def dashboard_csv(request, slug, key):
    campaign = campaign_for(request.user, slug, CAN_SEE_FIGURES)
    series = campaign_figures(campaign).series().get(key)
    if series is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-{key}.csv"'
    writer = csv.writer(response)
    writer.writerow([series.unit, "count"])
    for point in series.points:
        writer.writerow([point.label, point.text.replace("\u202f", "").replace("\xa0", "")])
    return response
