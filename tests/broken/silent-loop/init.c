
int
main(void)
{
	for (;;)
		;
}
