// Command gohello is the Go executable of strata's live packages image.
package main

import "fmt"

func main() { fmt.Println("hello from gohello") }
