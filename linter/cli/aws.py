"""``ecslint aws``: lint the task definitions registered in an AWS account.

The command describes each task definition (``ecslint.load.ecs_api``), serializes the
response deterministically and lints that text through the engine's one entry
point (``engine.lint_sources``), exactly as if it were a
describe-task-definition file named by its ARN: findings show the ARN as the
file name, and their lines and columns point into the JSON that ``--save-dir``
writes. Output, configuration, selection, baseline and ``--jobs`` options are
those of ``check`` (``ecslint.cli.options``), so a configuration file, a baseline
and unused-suppression checks (E004) apply the same way; per-file ignores and
baseline entries match the ARN (``web:*`` or ``arn:aws:ecs:*:task-definition/web:*``).

boto3 is imported only when the command runs, never when the CLI loads.
Exit status: 0 clean, 1 findings at or above ``--fail-on``, 2 for usage,
configuration and AWS errors (missing boto3, credentials, region, access) and
for a requested task definition, family or prefix that does not exist, and when
``--save-dir`` could not write a file (the report is printed all the same).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ecslint.cli.options import (
    EXIT_USAGE,
    CommonOptions,
    OptionsError,
    SectionedCommand,
    baseline_options,
    check_baseline_options,
    configuration_options,
    error,
    fail,
    jobs_option,
    load_baseline,
    output_options,
    pass_common,
    run,
    selection_options,
    with_unused,
)
from ecslint.config.lint_options import LintOptions

if TYPE_CHECKING:
    from ecslint.config.settings import Config
    from ecslint.engine import ProgressCallback
    from ecslint.hosts import Cluster, Placement
    from ecslint.load.ecs_api import Account, Fetched, Target
    from ecslint.report.model import InputProblem, Report
    from ecslint.suppress.baseline import Baseline

_AWS_MODULES = ("boto3", "botocore")


@click.command("aws", cls=SectionedCommand,
               short_help="Lint task definitions registered in an AWS account.",
               context_settings={"help_option_names": ["-h", "--help"],
                                 "max_content_width": 100},
               sections={"prefixes": "Task definitions", "all_revisions": "Task definitions",
                         "clusters": "Real hosts", "services": "Real hosts",
                         "region": "AWS", "profile": "AWS", "save_dir": "Output"})
@click.argument("task_definitions", nargs=-1, metavar="[TASKDEF]...")
@click.option("--family-prefix", "prefixes", multiple=True, metavar="PREFIX",
              help="Lint every family whose name starts with PREFIX (repeatable).")
@click.option("--all-revisions", is_flag=True,
              help="Lint every ACTIVE revision of each family, not only the latest.")
@click.option("--cluster", "clusters", multiple=True, metavar="NAME",
              help="Check the task definitions of cluster NAME's services and standalone "
                   "tasks against its container instances (repeatable).")
@click.option("--service", "services", multiple=True, metavar="NAME",
              help="With --cluster: only this service (repeatable).")
# boto3 reads AWS_DEFAULT_REGION only; AWS_REGION is the AWS CLI's and the SDKs' name,
# and the AWS CLI ranks it above AWS_DEFAULT_REGION and the profile's region.
@click.option("--region", metavar="REGION", envvar="AWS_REGION",
              help="AWS region [default: AWS_REGION, else AWS_DEFAULT_REGION, else the "
                   "profile's region].")
@click.option("--profile", metavar="NAME",
              help="AWS named profile [default: AWS_PROFILE, or the default credential chain].")
@selection_options
@configuration_options
@baseline_options
@output_options
@jobs_option
@click.option("--save-dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Write each fetched task definition to DIR/FAMILY-REVISION.json and each "
                   "service of --cluster to DIR/CLUSTER.SERVICE.service.json, the texts the "
                   "reported lines and columns refer to.")
@pass_common
def aws_command(
    task_definitions: tuple[str, ...], prefixes: tuple[str, ...], all_revisions: bool,
    clusters: tuple[str, ...], services: tuple[str, ...],
    region: str | None, profile: str | None, save_dir: Path | None,
    baseline_file: Path | None, write_baseline: Path | None, report_unused: bool, jobs: int,
    common: CommonOptions,
) -> None:
    """Lint task definitions registered in Amazon ECS (needs boto3: the aws extra).

    TASKDEF is a family (its latest ACTIVE revision, or every ACTIVE one with
    --all-revisions), family:revision, or a task definition ARN (described in
    the ARN's region). With neither TASKDEF nor --family-prefix, every family
    with an ACTIVE revision in the region is linted. Findings name the task
    definition's ARN (or the service's, for a service's setting); lines and
    columns refer to the describe JSON as --save-dir writes it (indented by 2,
    timestamps in UTC).

    With --cluster, the task definitions of the cluster's services (or of
    --service) and of its standalone tasks are checked against the container
    instances they can land on: their Windows release, agent versions and
    registered resources; --windows-host then asks what breaks if the
    instances ran that release instead.

    Credentials and region come from the usual AWS chain; AWS_ENDPOINT_URL or
    AWS_ENDPOINT_URL_ECS selects another endpoint. The command only reads:
    it calls ecs:ListTaskDefinitionFamilies, ecs:ListTaskDefinitions and
    ecs:DescribeTaskDefinition (and, with --cluster, what README lists).
    """
    try:
        from ecslint.load import ecs_api
    except ImportError as exc:
        if exc.name is None or exc.name.split(".")[0] not in _AWS_MODULES:
            raise
        fail("`ecslint aws` needs boto3: pip install boto3 into ecslint's environment, "
             "or pip install '.[aws]' in a clone of ecslint")
    targets = []
    for text in task_definitions:
        target = ecs_api.parse_target(text)
        if target is None:
            fail(f"{text!r} is not a task definition family, family:revision or ARN")
        targets.append(target)
    if services and not clusters:
        fail("--service needs --cluster")
    check_baseline_options(baseline_file, write_baseline)
    common = with_unused(common, report_unused)
    try:
        # Seen from the working directory an ARN is its own relative path, so
        # per-file-ignores and ignores[].path globs match the ARN as shown.
        config, options = common.build(base_dir=os.getcwd())
    except OptionsError as exc:
        fail(*exc.lines)
    baseline = load_baseline(baseline_file)

    try:
        account = ecs_api.Account(profile=profile, region=region)
        collector = _Collector(account, all_revisions)
        for target in targets:
            collector.target(target)
        for prefix in prefixes or (() if targets or clusters else ("",)):
            collector.prefix(prefix)
        placed = [(placement, collector.describe(arn, None, latest=False))
                  for name in clusters for placement, arn in collector.cluster(name, services)]
    except ecs_api.AwsError as exc:
        fail(str(exc))
    fetched = list(collector.fetched.values())
    unsaved = _save(save_dir, fetched, collector.clusters) if save_dir is not None else 0
    on_hosts = {id(item) for placement, item in placed if item is not None and placement}
    groups = [(config, options, [item for item in fetched if id(item) not in on_hosts])]
    for placement, item in placed:
        if item is not None and placement is not None:
            task = json.loads(item.text)["taskDefinition"]
            placed_config = _on_hosts(config, placement, task, common.windows_host)
            groups.append((placed_config, LintOptions.from_config(
                placed_config, base_dir=os.getcwd()), [item]))
    members = {id(options): items for _, options, items in groups}

    def lint(options: LintOptions, baseline: Baseline | None,
             progress: ProgressCallback | None) -> Report:
        from ecslint.engine import lint_sources
        from ecslint.load.sources import Source

        first = options is groups[0][1]
        sources = [Source(None, item.arn, True, item.data) for item in members[id(options)]]
        report = lint_sources([*(collector.problems if first else ()), *sources], options,
                              jobs=jobs, baseline=baseline, progress=progress)
        report.notices += collector.notices if first else []
        report.clusters += collector.inventory() if first else []
        report.fixing = "none"  # no --fix here: `ecslint check --fix` on --save-dir's files
        return report

    try:
        run(common, [(config, options) for config, options, items in groups
                     if items or options is groups[0][1]], lint, baseline=baseline,
            write_baseline=write_baseline, jobs=jobs)
    except SystemExit as exc:
        # The report is printed whatever was not saved; the status then says so.
        if unsaved and (exc.code is None or isinstance(exc.code, int) and exc.code < EXIT_USAGE):
            sys.exit(EXIT_USAGE)
        raise


def _on_hosts(config: Config, placement: Placement, task: dict[str, Any],
              windows_host: str | None) -> Config:
    """The configuration of a task definition (``task``, API-shaped) checked against
    ``placement``: the release the Windows instances it can land on run (all of the
    cluster's when its constraints rule none out) is the hosts' (``--windows-host``
    replaces it: "what if the instances ran that release"), and when every instance
    runs one OS, it is the OS of a task that gives none."""
    from ecslint.platform.windows import instances_release, instances_releases

    changes: dict[str, Any] = {"placement": placement}
    landing = placement.landing(task)
    found = instances_release(landing or placement.instances)
    if found is not None and windows_host is None:
        release, edition, counted = found
        changes["windows_version"] = (f"WINDOWS_SERVER_{release}_{edition}" if edition
                                      else release)
        changes["windows_version_source"] = (
            f"the container instances of cluster {placement.cluster!r} ({counted})")
    elif windows_host is None and len(instances_releases(landing or ()) or ()) > 1:
        # Several releases: each is a host the images must match (``landing_releases``),
        # not the configuration file's one.
        changes["windows_version"] = changes["windows_version_source"] = None
    kinds = {instance.os_type for instance in placement.instances}
    if config.platform == "auto" and len(kinds) == 1 and kinds <= {"windows", "linux"}:
        changes["platform"] = kinds.pop()
    return dataclasses.replace(config, **changes)


class _Collector:
    """Resolves what the command line asks for into described task definitions,
    once each, and records what does not exist and what a cluster could not tell."""

    def __init__(self, account: Account, all_revisions: bool) -> None:
        self.account = account
        self.all_revisions = all_revisions
        self.fetched: dict[str, Fetched] = {}
        self.problems: list[InputProblem] = []
        self.notices: list[str] = []
        self.clusters: list[Cluster] = []

    def inventory(self) -> list[dict[str, Any]]:
        """Each cluster's hosts, and for each of its services the instances its task
        definition can land on (``--format json``)."""
        found = []
        for cluster in self.clusters:
            services = []
            for service in cluster.services:
                described = self.fetched.get(service.task_definition)
                task = json.loads(described.text)["taskDefinition"] if described else None
                landing = (cluster.placement(service).landing(task)
                           if task is not None and cluster.instances_read else None)
                services.append({
                    "service": service.name, "taskDefinition": service.task_definition,
                    "desiredCount": service.desired_count,
                    "landsOn": None if landing is None else [i.id for i in landing]})
            found.append({**cluster.inventory(), "services": services})
        return found

    def cluster(self, name: str, services: tuple[str, ...]
                ) -> list[tuple[Placement | None, str]]:
        """The task definitions of cluster ``name``'s services (``services`` only, when
        given) and standalone tasks, each with where it is checked."""
        from ecslint.load.ecs_api import NotFound
        from ecslint.load.ecs_hosts import read_cluster

        try:
            cluster = read_cluster(self.account, name, services)
        except NotFound as exc:
            self._problem(name, f"ECS has no cluster or service {name!r} in "
                                f"{self.account.region} ({exc})")
            return []
        self.notices.extend(cluster.notices)
        self.clusters.append(cluster)
        if not cluster.instances_read:  # no permission: linted as without --cluster
            return [*((None, service.task_definition) for service in cluster.services),
                    *((None, arn) for arn in cluster.standalone_task_definitions)]
        return [*((cluster.placement(service), service.task_definition)
                  for service in cluster.services),
                *((cluster.placement(None), arn) for arn in cluster.standalone_task_definitions)]

    def target(self, target: Target) -> None:
        if target.revision is None and self.all_revisions:
            self.family(target.family)
        else:
            self.describe(target.text, target.region, latest=target.revision is None)

    def prefix(self, prefix: str) -> None:
        families = list(self.account.families(prefix))
        if not families:
            starting = f" starting with {prefix!r}" if prefix else ""
            self._problem(f"{prefix}*", f"no task definition family{starting} has an ACTIVE "
                                        f"revision in {self.account.region}")
        for family in families:
            if self.all_revisions:
                self.family(family)
            else:
                self.describe(family, None, latest=True)

    def family(self, family: str) -> None:
        arns = self.account.revisions(family)
        if not arns:
            self._problem(family, f"task definition family {family!r} has no ACTIVE revision "
                                  f"in {self.account.region}")
        for arn in arns:
            if arn not in self.fetched:
                self.describe(arn, None, latest=False)

    def describe(self, name: str, region: str | None, latest: bool) -> Fetched | None:
        from ecslint.load.ecs_api import NotFound

        try:
            item = self.account.describe(name, region)
        except NotFound as exc:
            what = f"ACTIVE revision of family {name!r}" if latest else f"task definition {name!r}"
            where = region or self.account.region
            self._problem(name, f"ECS has no {what} in {where} ({exc})")
            return None
        return self.fetched.setdefault(item.arn, item)

    def _problem(self, shown: str, message: str) -> None:
        from ecslint.report.model import InputProblem

        self.problems.append(InputProblem(shown, message))


# A file name stays under NAME_MAX (255 bytes on every common file system): a longer
# family keeps its first characters and gains a hash of the whole name.
_NAME_MAX = 200
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_-]")


def save_name(family: str, revision: int, region: str | None = None) -> str:
    """``FAMILY-REVISION[.REGION].json`` as a plain file name inside the save folder.

    ECS families are ``[A-Za-z0-9_-]{1,255}``, but the name comes from the endpoint:
    any other character (``/``, ``.``, NUL, a drive colon) becomes ``_``, so the name
    can be neither absolute, nor ``..``, nor a path; and a stem over 200 characters is
    cut to 191 and ends in ``-`` and 8 hex digits of its SHA-256, so names stay distinct.
    """
    stem = _UNSAFE_NAME.sub("_", family) + f"-{revision}"
    if region is not None:
        stem += "." + _UNSAFE_NAME.sub("_", region)
    if len(stem) > _NAME_MAX:
        digest = hashlib.sha256(stem.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        stem = f"{stem[:_NAME_MAX - 9]}-{digest}"
    return stem + ".json"


def service_save_name(cluster: str, service: str) -> str:
    """``CLUSTER.SERVICE.service.json``, made plain as ``save_name`` makes a family."""
    stem = f"{_UNSAFE_NAME.sub('_', cluster)}.{_UNSAFE_NAME.sub('_', service)}"
    if len(stem) > _NAME_MAX:
        digest = hashlib.sha256(stem.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        stem = f"{stem[:_NAME_MAX - 9]}-{digest}"
    return stem + ".service.json"


def _save(directory: Path, fetched: list[Fetched], clusters: list[Cluster]) -> int:
    """Write each task definition as FAMILY-REVISION.json (``save_name``); ARNs of
    several regions that share a family and revision get FAMILY-REVISION.REGION.json.
    Each service of a ``--cluster`` goes to CLUSTER.SERVICE.service.json, the text its
    findings point into.

    A file that cannot be written is reported on standard error and the others are
    still written; the run goes on, so the report is never lost, and ends with status 2.
    Returns how many task definitions and services were not saved."""
    from collections import Counter

    from ecslint.atomic import replacing

    names = Counter(save_name(item.family, item.revision) for item in fetched)
    taken: set[str] = set()
    saved: list[tuple[str, str, bytes]] = []
    for item in fetched:
        name = save_name(item.family, item.revision)
        if names[name] > 1:
            name = save_name(item.family, item.revision, item.region)
        if name in taken:  # families that differ only in replaced characters
            name = save_name(item.family + "-" + _hashed(item.arn), item.revision)
        taken.add(name)
        saved.append((name, item.arn, item.data))
    for service in (service for cluster in clusters for service in cluster.services):
        if service.described is not None:
            name = service_save_name(service.cluster, service.name)
            if name in taken:
                name = service_save_name(service.cluster, service.name + "-" +
                                         _hashed(service.arn))
            taken.add(name)
            saved.append((name, service.arn, service.described.encode("utf-8", "surrogatepass")))
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as exc:
        error(f"cannot write to {directory}: {_reason(exc)}")
        return len(saved)
    unsaved = 0
    for name, arn, data in saved:
        try:
            with replacing(directory / name) as stream:
                stream.write(data)
        except (OSError, ValueError) as exc:
            unsaved += 1
            error(f"cannot save {arn} to {directory / name}: {_reason(exc)}")
    return unsaved


def _hashed(arn: str) -> str:
    return hashlib.sha256(arn.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _reason(exc: OSError | ValueError) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
