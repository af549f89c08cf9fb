/** The VM factory plugin SPI. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.vcj.api.factory;
