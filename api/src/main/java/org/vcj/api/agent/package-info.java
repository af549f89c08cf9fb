/** The host side of the guest agent protocol, as typed Java calls. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.vcj.api.agent;
