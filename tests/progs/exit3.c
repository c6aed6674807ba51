/* Exits with status 3 and prints nothing: checks that the exit status
 * reaches whoever waits for the process. */
int main(void)
{
	return 3;
}
