// Package platforms parses --platform values (os/arch[/variant]) and picks
// the image of an index that matches one: with no platform given, a lone
// image whatever its platform, else the host's; when none matches, the error
// lists the platforms the index has.
package platforms
