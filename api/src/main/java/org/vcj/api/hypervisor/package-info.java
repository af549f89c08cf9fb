/** The hypervisor plugin SPI: {@link org.vcj.api.hypervisor.Hypervisor} and the VM records it works on. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.vcj.api.hypervisor;
