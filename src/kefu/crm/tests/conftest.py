import pytest

from kefu.core.testing import JsonClient, client_for, make_staff

from .factories import make_customer


@pytest.fixture
def gz_customer(city):
    """A customer of the Guangzhou branch (fixture ``city``)."""
    return make_customer(org=city, name="王伟", number="13900000001", certificate_no="440106199001011235",
                         service_password="135790")


@pytest.fixture
def sz_customer(other_city):
    """A customer of the Shenzhen branch, outside a Guangzhou actor's scope."""
    return make_customer(org=other_city, name="李娜", number="13800000002", certificate_no="440305198505050019")


@pytest.fixture
def gz_api(city):
    """API client factory for Guangzhou staff holding the given permissions."""

    def make(*perms):
        return JsonClient(client_for(make_staff(org=city, perms=perms)))

    return make
