package org.vcj.api;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A process's relayed stdio. Closing {@code stdin} closes the process's standard input;
 * {@code stdout}/{@code stderr} end when the process has closed them. {@code stderr} is empty for a terminal.
 */
public record IOStream(OutputStream stdin, InputStream stdout, InputStream stderr) { }
