// go-hello prints a greeting and its arguments: the smallest Go program speck
// builds, standard library only.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("hello from speck, in Go")
	for i, arg := range os.Args[1:] {
		fmt.Printf("arg %d: %s\n", i+1, arg)
	}
}
