"""Which Microsoft image tags the WIN2xx fixes rewrite, and to what (``rules/_image_tags``)."""

from __future__ import annotations

import pytest

from ecslint.platform.windows import parse_release
from ecslint.rules._image_tags import pin, retag

SERVERCORE = "mcr.microsoft.com/windows/servercore"
NANO = "mcr.microsoft.com/windows/nanoserver"
ASPNET = "mcr.microsoft.com/dotnet/framework/aspnet"


@pytest.mark.parametrize("image, host, change", [
    (f"{SERVERCORE}:ltsc2019", "2022", (":ltsc2019", ":ltsc2022")),
    (f"{SERVERCORE}:1809-amd64", "2022", (":1809-amd64", ":ltsc2022-amd64")),
    (f"{SERVERCORE}:20H2", "2025", (":20H2", ":ltsc2025")),
    (f"{NANO}:ltsc2022", "2019", (":ltsc2022", ":1809")),  # no ltsc2019 tag for Nano Server
    (f"{NANO}:1809", "2016", None),  # no Nano Server image for 2016
    ("mcr.microsoft.com/windows/server:ltsc2022", "2019", None),  # 2022 and later only
    ("mcr.microsoft.com/windows:ltsc2019", "2025", None),
    ("mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019", "2022",
     (":windowsservercore-ltsc2019", ":windowsservercore-ltsc2022")),
    # 4.8's images stop at 2019 (dotnet-framework-docker's supported tags since October
    # 2025); 4.8.1, its in-place successor, takes over on 2022 and 2025.
    (f"{ASPNET}:4.8-windowsservercore-ltsc2019", "2022",
     (":4.8-windowsservercore-ltsc2019", ":4.8.1-windowsservercore-ltsc2022")),
    (f"{ASPNET}:4.8-windowsservercore-ltsc2022", "2025",
     (":4.8-windowsservercore-ltsc2022", ":4.8.1-windowsservercore-ltsc2025")),
    (f"{ASPNET}:4.8-windowsservercore-ltsc2016", "2019",
     (":4.8-windowsservercore-ltsc2016", ":4.8-windowsservercore-ltsc2019")),
    (f"{ASPNET}:3.5-windowsservercore-ltsc2019", "2022", None),  # 3.5 images are retired
    (f"{ASPNET}:4.8.1-windowsservercore-ltsc2022", "2019", None),  # 4.8.1 starts with 2022
    (f"{ASPNET}:4.8-20241112-windowsservercore-ltsc2019", "2022", None),  # dated tag
    (f"{SERVERCORE}:ltsc2019-KB5034127", "2022", None),  # KB numbers differ per release
    (f"{SERVERCORE}:ltsc2022", "2022", None),  # nothing to change
    (f"{SERVERCORE}@sha256:{'0' * 64}", "2022", None),
    (f"{SERVERCORE}:ltsc2019@sha256:{'0' * 64}", "2022", None),
    ("111122223333.dkr.ecr.us-east-1.amazonaws.com/servercore:ltsc2019", "2022", None),
    ("microsoft/windowsservercore:ltsc2019", "2022", None),  # WIN206 moves it to MCR
])
def test_retag(image: str, host: str, change: tuple[str, str] | None) -> None:
    release = parse_release(host)
    assert release is not None
    assert retag(image, release) == change


@pytest.mark.parametrize("image, host, change", [
    (SERVERCORE, "2022", (SERVERCORE, f"{SERVERCORE}:ltsc2022")),
    (f"{NANO}:latest", "2019", (":latest", ":1809")),
    ("mcr.microsoft.com/windows/servercore/iis", "2016",
     ("mcr.microsoft.com/windows/servercore/iis",
      "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2016")),
    ("mcr.microsoft.com/windows/servercore/iis:windowsservercore", "2022",
     (":windowsservercore", ":windowsservercore-ltsc2022")),
    (f"{ASPNET}:4.8", "2022", (":4.8", ":4.8.1-windowsservercore-ltsc2022")),
    (f"{ASPNET}:4.8", "2019", (":4.8", ":4.8-windowsservercore-ltsc2019")),
    (f"{ASPNET}:3.5", "2019", None),
    (f"{ASPNET}:latest", "2022", None),  # which framework version?
    (ASPNET, "2022", None),
    (f"{NANO}", "2016", None),
    (f"{SERVERCORE}:ltsc2019", "2022", None),  # tagged: WIN201's retag, not a pin
    ("myrepo/app:latest", "2022", None),
])
def test_pin(image: str, host: str, change: tuple[str, str] | None) -> None:
    release = parse_release(host)
    assert release is not None
    assert pin(image, release) == change
