"""Development tooling of the fakekube repository; never part of the wheel."""
