"""Reading `sitegen.toml`, low in the pipeline: every later stage reads a frozen SiteConfig.

Every option is declared once in settings.py's SCHEMA (type, default, rule), read against a
TOML table with its lines (schema.py); the language editions come from editions.py. A
newcomer adds a setting in settings.py and documents it in docs/configuration.md.
"""

from typing import TYPE_CHECKING

from sitegen import seams

if TYPE_CHECKING:
    from sitegen.config.editions import Edition
    from sitegen.config.settings import (
        CONFIG_NAME,
        DEFAULT_VERDICTS,
        HOMES,
        SCHEMA,
        SiteConfig,
        config_bytes,
        load_config,
        no_config,
    )

__all__ = [
    "CONFIG_NAME", "DEFAULT_VERDICTS", "HOMES", "SCHEMA", "Edition", "SiteConfig", "config_bytes",
    "load_config", "no_config",
]

if not TYPE_CHECKING:  # mypy and editors read the imports above instead
    __getattr__, __dir__ = seams.lazy(__name__, {
        "Edition": "sitegen.config.editions",
        "CONFIG_NAME": "sitegen.config.settings",
        "DEFAULT_VERDICTS": "sitegen.config.settings",
        "HOMES": "sitegen.config.settings",
        "SCHEMA": "sitegen.config.settings",
        "SiteConfig": "sitegen.config.settings",
        "config_bytes": "sitegen.config.settings",
        "load_config": "sitegen.config.settings",
        "no_config": "sitegen.config.settings",
    })
