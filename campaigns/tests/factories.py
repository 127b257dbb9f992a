import datetime as dt

import factory
from django.contrib.auth import get_user_model

from campaigns.models import Campaign, CampaignEntry
from core.periods import today
from registry.tests.factories import PersonRecordFactory


def opener():
    return get_user_model().objects.get_or_create(username="campaign_opener")[0]


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        django_get_or_create = ("year",)

    year = factory.LazyFunction(lambda: today().year)
    opened_on = factory.LazyAttribute(lambda o: dt.date(o.year, 1, 1))
    due_on = factory.LazyAttribute(lambda o: dt.date(o.year, 12, 31))
    opened_by = factory.LazyFunction(opener)


class CampaignEntryFactory(PersonRecordFactory):
    class Meta:
        model = CampaignEntry

    campaign = factory.SubFactory(CampaignFactory)
    joined_on = factory.LazyAttribute(lambda o: o.campaign.opened_on)
    street = factory.LazyAttribute(lambda o: o.person.street)
    community = factory.LazyAttribute(lambda o: o.person.community)
