"""Learning experiments at scale (issue 12): campaign specifications, and (to come) their runs and executors."""

from jalverify.experiments.spec import CampaignSpec, LearnerOptions, RunKey, load_campaign, parse_campaign

__all__ = ["CampaignSpec", "LearnerOptions", "RunKey", "load_campaign", "parse_campaign"]
