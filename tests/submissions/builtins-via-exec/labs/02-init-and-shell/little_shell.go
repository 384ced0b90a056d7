// little_shell.go: the stage 02 little shell in Go, as in the original
// article. Build it instead of little_shell.c with: make LITTLE_SHELL=go
//
// The program is the C one in another language: greet, then forever print
// a prompt, read a line, and say what was typed.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	fmt.Println("Hello world from Go!")
	in := bufio.NewReader(os.Stdin)
	for {
		// os.Stdout has no buffer in Go: each Print is one write system
		// call, so the prompt reaches the UART at once, with no flush.
		fmt.Print("Enter your command: ")
		line, err := in.ReadString('\n')
		if line != "" {
			fmt.Printf("Your command is: %s\n", strings.TrimRight(line, "\r\n"))
		}
		if err == io.EOF {
			fmt.Println("\nlittle_shell: end of input, bye")
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "\nlittle_shell: reading the command:", err)
			os.Exit(1)
		}
	}
}
