package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	out := flag.String("o", "testdata/demo.tar", "path of the docker archive to write")
	flag.Parse()
	if err := writeDemo(*out); err != nil {
		fmt.Fprintf(os.Stderr, "gendemo: %v\n", err)
		os.Exit(1)
	}
}
