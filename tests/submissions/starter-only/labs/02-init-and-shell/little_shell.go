// little_shell.go: the stage 02 little shell in Go, as in the original
// article. Build it instead of little_shell.c with: make LITTLE_SHELL=go
//
// The program is the C one in another language: greet, then forever print
// a prompt, read a line, and say what was typed.
package main

import (
	"fmt"
)

func main() {
	fmt.Println("Hello world from Go!")

	// TODO: make a bufio.NewReader(os.Stdin) (import "bufio" and "os"),
	// then loop forever: fmt.Print the prompt "Enter your command: ",
	// read a line with ReadString('\n'), and print
	// "Your command is: " followed by it. Stop when ReadString returns
	// an error (io.EOF at the end of the input).
}
