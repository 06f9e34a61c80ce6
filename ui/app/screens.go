package app

import (
	"brightrun/ui/common"
	"brightrun/ui/estimate"
	"brightrun/ui/notifications"
)

// DefaultScreens are the tabs, in order; tab n is reached with key n.
// Adding a screen is one package with a New(common.Common) common.Screen and
// one line here.
func DefaultScreens() []common.ScreenFactory {
	return []common.ScreenFactory{
		notifications.New,
		estimate.New,
	}
}
