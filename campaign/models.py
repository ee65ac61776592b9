from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Campaign(models.Model):
    class Goal(models.TextChoices):
        CREATE = "create", _("Create the title")
        CONSOLIDATE = "consolidate", _("Consolidate the title")

    name = models.CharField(_("name"), max_length=200)
    goal = models.CharField(_("goal"), max_length=20, choices=Goal.choices, default=Goal.CREATE)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-start_date"]

    def __str__(self):
        return self.name


class Region(models.Model):
    """A node of the region tree. `path` is a materialised path of zero-padded ids ("000001/000007/"),
    so "everything under X" is one indexed prefix query: path__startswith=X.path."""

    class Level(models.IntegerChoices):
        CITY = 1, _("City")
        DISTRICT = 2, _("District / county / banner")
        STREET = 3, _("Street / town")
        COMMUNITY = 4, _("Community / village")
        GRID = 5, _("Grid")

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=40, unique=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("path"), max_length=255, editable=False, db_index=True, default="")
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords(excluded_fields=["path"])

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        indexes = [models.Index(fields=["path"], name="region_path_prefix", opclasses=["varchar_pattern_ops"])]

    def get_absolute_url(self):
        return reverse("campaign:region_detail", args=[self.pk])

    def __str__(self):
        return self.name

    @property
    def depth(self):
        return self.path.count("/")

    def subtree(self):
        """This region and every region under it (one query)."""
        return Region.objects.filter(path__startswith=self.path)


class Unit(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Government department")
        STREET_OFFICE = "street_office", _("Street / town office")
        COMMUNITY = "community", _("Community / village committee")
        SCHOOL = "school", _("School")
        HOSPITAL = "hospital", _("Hospital")
        ENTERPRISE = "enterprise", _("Enterprise")
        PUBLIC_INSTITUTION = "institution", _("Public institution")
        OTHER = "other", _("Other")

    class CivilizedLevel(models.TextChoices):
        NONE = "", _("Not a civilized unit")
        NATIONAL = "national", _("National civilized unit")
        PROVINCIAL = "provincial", _("Provincial civilized unit")
        MUNICIPAL = "municipal", _("Municipal civilized unit")

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="units")
    civilized_level = models.CharField(
        _("civilized-unit level"), max_length=20, choices=CivilizedLevel.choices, blank=True, default=""
    )
    civilized_year = models.PositiveSmallIntegerField(_("civilized-unit year"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]

    def get_absolute_url(self):
        return reverse("campaign:unit_detail", args=[self.pk])

    def __str__(self):
        return self.name


class Person(models.Model):
    class Rank(models.TextChoices):
        STANDING_COMMITTEE = "standing_committee", _("District standing committee member")
        DISTRICT_LEADER = "district_leader", _("District-level leader")
        DIVISION = "division", _("Division-level cadre")
        SECTION = "section", _("Section-level cadre")
        STAFF = "staff", _("Staff")

    name = models.CharField(_("name"), max_length=50)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    rank = models.CharField(_("rank"), max_length=30, choices=Rank.choices, default=Rank.STAFF)
    title = models.CharField(_("position"), max_length=100, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def get_absolute_url(self):
        return reverse("campaign:person_detail", args=[self.pk])

    def __str__(self):
        return self.name


class CommandBody(models.Model):
    """Headquarters, its office, supervision groups, task forces and working groups, as a tree.
    Scope: the regions here; site types and problem categories are linked from the inspections side."""

    class Kind(models.TextChoices):
        HEADQUARTERS = "headquarters", _("Headquarters")
        OFFICE = "office", _("Campaign office")
        SUPERVISION_GROUP = "supervision_group", _("Supervision group")
        TASK_FORCE = "task_force", _("Task force")
        WORKING_GROUP = "working_group", _("Working group")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="command_bodies"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent body"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    duty = models.TextField(_("duties"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    regions = models.ManyToManyField(
        Region, verbose_name=_("regions in scope"), blank=True, related_name="command_bodies"
    )
    members = models.ManyToManyField(
        Person, through="Membership", related_name="command_bodies", verbose_name=_("members")
    )
    history = HistoricalRecords(m2m_fields=[regions])

    class Meta:
        verbose_name = _("command body")
        verbose_name_plural = _("command bodies")
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="command_body_unique_name")]

    def get_absolute_url(self):
        return reverse("campaign:body_detail", args=[self.pk])

    def __str__(self):
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        COMMANDER = "commander", _("Commander-in-chief")
        FIRST_COMMANDER = "first_commander", _("First commander-in-chief")
        DEPUTY_COMMANDER = "deputy_commander", _("Deputy commander")
        DIRECTOR = "director", _("Office director")
        DEPUTY_DIRECTOR = "deputy_director", _("Deputy office director")
        LEADER = "leader", _("Group leader")
        DEPUTY_LEADER = "deputy_leader", _("Deputy group leader")
        MEMBER = "member", _("Member")
        LIAISON = "liaison", _("Liaison")

    body = models.ForeignKey(
        CommandBody, verbose_name=_("command body"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.MEMBER)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["body", "person"], name="membership_unique_person")]

    def __str__(self):
        return f"{self.body} · {self.person}"


class Assignment(models.Model):
    """包抓: a leader made responsible for a region or a site, with a required number of visits a week."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="assignments"
    )
    person = models.ForeignKey(Person, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="assignments")
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    site = models.ForeignKey(
        "inspections.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    required_visits_per_week = models.PositiveSmallIntegerField(_("required visits per week"), default=1)
    responsibility_letter = models.FileField(
        _("responsibility letter"), upload_to="responsibility-letters/%Y/", blank=True
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["person__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=False) | models.Q(site__isnull=False), name="assignment_has_target"
            )
        ]

    def get_absolute_url(self):
        return reverse("campaign:assignment_detail", args=[self.pk])

    def __str__(self):
        return f"{self.person} → {self.site or self.region}"

    @property
    def target(self):
        return self.site or self.region
