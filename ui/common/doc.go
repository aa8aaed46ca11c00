// Package common holds what every pane shares: the theme and styles,
// small rendering helpers, the navigation keys and the cursor of a list.
package common
