package app

import (
	"brightrun/ui/common"
	"brightrun/ui/configure"
	"brightrun/ui/conversations"
	"brightrun/ui/costs"
	"brightrun/ui/datasets"
	"brightrun/ui/estimate"
	"brightrun/ui/jobs"
	"brightrun/ui/notifications"
	"brightrun/ui/trainingfiles"
)

// DefaultScreens are the tabs, in order; tab n is reached with key n.
// Adding a screen is one package with a New(common.Common) common.Screen and
// one line here.
func DefaultScreens() []common.ScreenFactory {
	return []common.ScreenFactory{
		conversations.New,
		trainingfiles.New,
		datasets.New,
		configure.New,
		jobs.New,
		notifications.New,
		estimate.New,
		costs.New,
	}
}
