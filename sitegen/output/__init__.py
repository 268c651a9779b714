"""Writing the site, below the live preview and above rendering: only this stage writes output/.

folder stages and swaps whole folders so output/ is always one complete site, publish
renders pages into it as they come, manifest remembers the last build's files so a warm
build writes only what changed, standby keeps the second copy those changes go into. A
newcomer changes where or how files land here, and proves it with tests/test_faults.py.
"""

from typing import TYPE_CHECKING

from sitegen import seams

if TYPE_CHECKING:
    from sitegen.output.folder import (
        MARKER,
        check_output_location,
        commit_staged,
        discard_staged,
        recover_interrupted,
        remove_files,
        stage_file,
        update_in_place,
        write_failure,
    )
    from sitegen.output.manifest import (
        PageRecord,
        Plan,
        frame,
        load_plan,
        save_plan,
        site_salt,
        whole_site,
    )
    from sitegen.output.publish import Handover, publish_site, timed
    from sitegen.output.standby import kept_beside

__all__ = [
    "MARKER", "Handover", "PageRecord", "Plan", "check_output_location", "commit_staged",
    "discard_staged", "frame", "kept_beside", "load_plan", "publish_site", "recover_interrupted",
    "remove_files", "save_plan", "site_salt", "stage_file", "timed", "update_in_place",
    "whole_site", "write_failure",
]

if not TYPE_CHECKING:  # mypy and editors read the imports above instead
    __getattr__, __dir__ = seams.lazy(__name__, {
        "MARKER": "sitegen.output.folder",
        "check_output_location": "sitegen.output.folder",
        "commit_staged": "sitegen.output.folder",
        "discard_staged": "sitegen.output.folder",
        "recover_interrupted": "sitegen.output.folder",
        "remove_files": "sitegen.output.folder",
        "stage_file": "sitegen.output.folder",
        "update_in_place": "sitegen.output.folder",
        "write_failure": "sitegen.output.folder",
        "PageRecord": "sitegen.output.manifest",
        "Plan": "sitegen.output.manifest",
        "frame": "sitegen.output.manifest",
        "load_plan": "sitegen.output.manifest",
        "save_plan": "sitegen.output.manifest",
        "site_salt": "sitegen.output.manifest",
        "whole_site": "sitegen.output.manifest",
        "Handover": "sitegen.output.publish",
        "publish_site": "sitegen.output.publish",
        "timed": "sitegen.output.publish",
        "kept_beside": "sitegen.output.standby",
    })
