/** The metadata storage plugin SPI. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.vcj.api.storage;
