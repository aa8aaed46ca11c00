// Package common holds what every pane shares: the theme and styles, and
// small rendering helpers.
package common
