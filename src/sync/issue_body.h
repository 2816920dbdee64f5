// Titles and risksync's block in story and measure issues (markdown, GitHub/GitLab flavour).
//
// Contract: pure and deterministic; all document text is escaped (render/escape.h). The block
// excludes the marker lines (sync/marker.h adds them). A measure block does not contain the
// measure's status (the issue's own state is the status), so it changes only when the document
// changes; a story block contains the recomputed residual likelihood and its measures' links.
#pragma once

#include <map>
#include <string>

#include "model/analysis.h"
#include "model/assessment.h"

namespace risksync {

// Key -> web URL of the item's issue (stories and measures), for links; may be partial.
using ItemUrls = std::map<std::string, std::string, std::less<>>;

std::string story_title(const AbuserStory& story);
std::string measure_title(const Measure& measure);

std::string story_block(const Analysis& analysis, const AbuserStory& story,
                        const Assessment& assessment, const ItemUrls& urls, Lang lang,
                        const std::string& source_file);
std::string measure_block(const Analysis& analysis, const Measure& measure, const ItemUrls& urls,
                          Lang lang, const std::string& source_file);

}  // namespace risksync
